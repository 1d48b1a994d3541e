package pinreplay.format.print;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;

class JsonlPrinterTest {

    private static String jsonl(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventWriter w = new EventWriter(new EventReader(new JsonlPrinter(out)));
        new TraceParser("t.txt", w, false).parse(Channels.newChannel(
                new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
        w.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void contractExampleAsOneJsonObject() throws IOException {
        assertEquals("{\"line\":3,\"ts\":100.000100,\"comm\":\"qemu-kvm\",\"pid\":4242,\"cpu\":1,\"event\":\"vfio_dma_map\","
                + "\"args\":{\"handle\":\"vfio0\",\"vaddr\":\"0x7f0000000000\",\"iova\":\"0x0\",\"size\":\"0x40000000\","
                + "\"prot\":\"rw\"}}\n",
                jsonl("# tracer: nop\n#\n        qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=vfio0 "
                        + "vaddr=0x7f0000000000 iova=0x0 size=0x40000000 prot=rw\n"));
    }

    @Test
    void everyValueTypeHasItsJsonForm() throws IOException {
        String text = String.join("\n",
                "  fio-900 (  899) [000] .... 1.000000001: pin_user_pages: start=0x1000 nr_pages=8 "
                        + "gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p0 ret=-EOPNOTSUPP sure=false",
                "  io-1 [002] .... 77: pin_user_pages: (pin_user_pages+0x0/0xa0) start=7f00 nr_pages=1 gup_flags=10001",
                "MediaStoreImpor-27212 (-----) [000] .... 16136.595194: mm_filemap_add_to_page_cache: dev 253:6 "
                        + "ino 7580 page=0000000060e990c7 pfn=677646 ofs=159744",
                "CPU:2 [LOST 123 EVENTS]",
                "  bash-1977  [000] .... 17284.993652: sys_close <-system_call_fastpath",
                "  fio-900     [000] ..... 2.000000: tracing_mark_write: put_page: handle=g1");
        String[] lines = jsonl(text).split("\n");
        assertEquals("{\"line\":1,\"ts\":1.000000001,\"comm\":\"fio\",\"pid\":900,\"tgid\":899,\"cpu\":0,"
                + "\"event\":\"pin_user_pages\",\"args\":{\"start\":\"0x1000\",\"nr_pages\":8,"
                + "\"gup_flags\":\"FOLL_WRITE|FOLL_LONGTERM\",\"handle\":\"p0\",\"ret\":\"-EOPNOTSUPP\",\"sure\":false}}",
                lines[0]);
        assertEquals("{\"line\":2,\"ts\":77,\"comm\":\"io\",\"pid\":1,\"cpu\":2,\"event\":\"pin_user_pages\","
                + "\"args\":{\"probe\":\"pin_user_pages+0x0/0xa0\",\"start\":\"0x7f00\",\"nr_pages\":\"0x1\","
                + "\"gup_flags\":\"0x10001\"}}", lines[1]);
        assertEquals("{\"line\":3,\"ts\":16136.595194,\"comm\":\"MediaStoreImpor\",\"pid\":27212,\"tgid\":-1,\"cpu\":0,"
                + "\"event\":\"mm_filemap_add_to_page_cache\",\"args\":{\"dev\":\"253:6\",\"ino\":\"0x7580\","
                + "\"page\":\"0x60e990c7\",\"pfn\":677646,\"ofs\":159744},"
                + "\"payload\":\"dev 253:6 ino 7580 page=0000000060e990c7 pfn=677646 ofs=159744\"}", lines[2]);
        assertEquals("{\"line\":4,\"cpu\":2,\"event\":\"lost_events\",\"args\":{\"lost\":123}}", lines[3]);
        assertEquals("{\"line\":5,\"ts\":17284.993652,\"comm\":\"bash\",\"pid\":1977,\"cpu\":0,\"event\":\"other\","
                + "\"payload\":\"  bash-1977  [000] .... 17284.993652: sys_close <-system_call_fastpath\"}", lines[4]);
        assertEquals("{\"line\":6,\"ts\":2.000000,\"comm\":\"fio\",\"pid\":900,\"cpu\":0,\"event\":\"put_page\","
                + "\"marker\":true,\"args\":{\"handle\":\"g1\"}}", lines[5]);
        assertEquals(6, lines.length);
    }

    @Test
    void stringsAreEscaped() throws IOException {
        assertEquals("{\"line\":1,\"ts\":1.000000,\"comm\":\"a\\\"b\\\\c\",\"pid\":7,\"cpu\":0,\"event\":\"note\","
                + "\"payload\":\"tab\\there \\u0001 \\\"q\\\" é\"}\n",
                jsonl("  a\"b\\c-7 [000] 1.000000: note: tab\there \u0001 \"q\" é\n"));
    }

    @Test
    void commentsAreSkipped() throws IOException {
        assertEquals("", jsonl("# tracer: nop\nversion = 6\ncpus=2\n"));
    }
}
