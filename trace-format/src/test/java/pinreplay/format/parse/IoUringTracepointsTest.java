package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;

/**
 * io_uring's request tracepoints in the TP_printk formats of the kernels the lab boots (include/trace/events/io_uring.h
 * of Debian's 5.10.223, 6.1.176, 6.12.117 and 7.2.13, read from their images' print_fmt strings).
 */
class IoUringTracepointsTest {
    private static final String TRACE = """
                 t-42      (     42) [001] .....    10.000100: io_uring_submit_sqe: ring 000000008a1b2c3d, req 00000000deadbeef, op 22, data 0x5eed, flags 0, non block 1, sq_thread 0
                 t-42      (     42) [001] .....    10.000200: io_uring_complete: ring 000000008a1b2c3d, user_data 0x5eed, result 1048576, cflags 0
                 t-42      (     42) [001] .....    10.000300: io_uring_submit_sqe: ring 000000008a1b2c3d, req 00000000deadbeef, user_data 0x5eed, opcode READ, flags 0x40, non block 1, sq_thread 0
                 t-42      (     42) [001] .....    10.000400: io_uring_complete: ring 000000008a1b2c3d, req 00000000deadbeef, user_data 0x5eed, result -14, cflags 0x0 extra1 0 extra2 0\s
                 t-42      (     42) [001] .....    10.000500: io_uring_submit_req: ring 000000008a1b2c3d, req 00000000deadbeef, user_data 0x0, opcode READV, flags 0x200000, sq_thread 1
                 t-42      (     42) [001] .....    10.000600: io_uring_submit_req: ring 000000008a1b2c3d, user_data 0x0
            """;

    @Test
    void fivePointTenSubmitNamesTheOpcodeByNumberAndUserDataAsData() {
        Parsed.Ev e = Parsed.of(TRACE).atLine(1);
        assertEquals(EventType.IO_URING_SUBMIT_SQE, e.type());
        assertEquals(0x8a1b2c3dL, e.f("ring").value());
        assertEquals(0xdeadbeefL, e.f("req").value());
        assertEquals(22, e.f("opcode").value());
        assertEquals(0x5eed, e.f("user_data").value());
        assertEquals(0, e.f("flags").value(), "%u");
        assertEquals(0, e.f("sq_thread").value());
    }

    @Test
    void fivePointTenCompletionHasNoRequestAndABareHexCflags() {
        Parsed.Ev e = Parsed.of(TRACE).atLine(2);
        assertEquals(EventType.IO_URING_COMPLETE, e.type());
        assertFalse(e.fields().containsKey("req"));
        assertEquals(0x5eed, e.f("user_data").value());
        assertEquals(1048576, e.f("result").value());
        assertEquals(0, e.f("cflags").value());
    }

    @Test
    void sixPointOneNamesTheOpcodeAndPrintsFlagsInHex() {
        Parsed.Ev e = Parsed.of(TRACE).atLine(3);
        assertEquals(EventType.IO_URING_SUBMIT_SQE, e.type());
        assertEquals("READ", e.sym("opcode"));
        assertEquals(0x40, e.f("flags").value(), "REQ_F_CQE_SKIP");
    }

    @Test
    void laterCompletionsNameTheRequestAndKeepTheExtrasInThePayload() {
        Parsed.Ev e = Parsed.of(TRACE).atLine(4);
        assertEquals(EventType.IO_URING_COMPLETE, e.type());
        assertEquals(0xdeadbeefL, e.f("req").value());
        assertEquals(-14, e.f("result").value());
    }

    @Test
    void submitReqHasNoNonBlockField() {
        Parsed.Ev e = Parsed.of(TRACE).atLine(5);
        assertEquals(EventType.IO_URING_SUBMIT_REQ, e.type());
        assertEquals("READV", e.sym("opcode"));
        assertEquals(1, e.f("sq_thread").value());
    }

    @Test
    void anUnknownLayoutIsKeptAsAnUnknownEvent() {
        assertEquals(EventType.UNKNOWN, Parsed.of(TRACE).atLine(6).type());
    }
}
