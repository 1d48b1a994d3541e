package pinreplay.replay;

import java.util.ArrayList;

import pinreplay.replay.dev.DirectIo;
import pinreplay.replay.range.LongObjectMap;

/**
 * io_uring's requests in a raw recording, from io_uring_submit_sqe (io_uring_submit_req in 6.12 and 7.2) to io_uring_complete,
 * as far as their bios hold user pages. io_submit_sqe() traces a request, then issues it: an O_DIRECT read or write
 * issued inline (io_issue_sqe() -> io_read()/io_write() -> iomap_dio_rw() with IOCB_NOWAIT) takes the buffer's pages
 * for its bios there and returns -EIOCBQUEUED; the bios' completion drops them (bio_release_pages()) before the request's
 * CQE is posted (iomap_dio_complete_work() -> io_complete_rw() -> io_req_task_complete()). So a short-term GUP of a task
 * inside io_uring_enter() after it traced a request (or of the SQPOLL thread, which submits without a syscall) is held
 * until that request's io_uring_complete, which io_complete_rw() posts from the submitter's task work (5.10.162 to 7.2:
 * {@link pinreplay.replay.kernel.Profile#ioUringRwCqeInTask}). Not followed, their GUPs taken as released at the call's
 * return: requests issued by an io-wq worker, which no line ties to a request; CQE-less ones
 * (IOSQE_CQE_SKIP_SUCCESS); and every request of a kernel that posts the CQE from the bio's completion.
 */
final class IoUringRequests {
    /** io_uring_types.h REQ_F_CQE_SKIP: IOSQE_CQE_SKIP_SUCCESS_BIT (5.17+), no CQE when the request succeeds. */
    private static final long REQ_F_CQE_SKIP = 1L << 6;

    /** A request traced by a submission: its identity in the trace and the key its bios are held under. */
    private static final class Request {
        long ring;
        long req;
        long userData;
        int pid;
        boolean sqThread;
        /** {@link DirectIo}'s holder: negative, unlike a syscall's pid; fixed per slot so its list is reused. */
        final long holder;
        boolean holds;

        Request(long holder) {
            this.holder = holder;
        }
    }

    private final DirectIo directIo;
    private final boolean cqeInTask;
    /** Requests a task submitted last or whose bios hold pages, in submission order; few at a time. */
    private final ArrayList<Request> open = new ArrayList<>();
    private final ArrayList<Request> free = new ArrayList<>();
    /** Per pid: the request it submitted last, while its GUPs may be that request's. */
    private final LongObjectMap<Request> current = new LongObjectMap<>();
    private long slots;

    IoUringRequests(DirectIo directIo, boolean cqeInTask) {
        this.directIo = directIo;
        this.cqeInTask = cqeInTask;
    }

    /** io_submit_sqe()'s tracepoint on task {@code pid}: its GUPs from now are this request's. */
    void submit(int pid, long ring, long req, long userData, long flags, boolean sqThread) {
        left(pid);
        if (!cqeInTask || (flags & REQ_F_CQE_SKIP) != 0) {
            return; // no io_uring_complete the recording shows would end the hold
        }
        Request r = free.isEmpty() ? new Request(-(++slots)) : free.remove(free.size() - 1);
        r.ring = ring;
        r.req = req;
        r.userData = userData;
        r.pid = pid;
        r.sqThread = sqThread;
        r.holds = false;
        open.add(r);
        current.put(pid, r);
    }

    /**
     * The holder for a short-term GUP of task {@code pid} now ({@code inEnter}: it is inside io_uring_enter()), or 0 when
     * the call belongs to no traced request. The request then holds pages until its completion.
     */
    long holder(int pid, boolean inEnter) {
        Request r = current.get(pid);
        if (r == null || !(inEnter || r.sqThread)) {
            return 0;
        }
        r.holds = true;
        return r.holder;
    }

    /** Task {@code pid} is past its submissions: io_uring_enter() returned, or it entered another syscall. */
    void left(int pid) {
        Request r = current.get(pid);
        if (r == null) {
            return;
        }
        current.remove(pid);
        if (!r.holds) {
            close(r);
        }
    }

    /**
     * io_uring_complete: the CQE of request {@code req} (0 before 6.1, which names only the ring and user_data: the
     * oldest such request). Its bios completed: {@code result} bytes moved, and their pages were released.
     */
    void complete(long ring, long req, long userData, long result) {
        for (int i = 0; i < open.size(); i++) {
            Request r = open.get(i);
            if (r.ring == ring && (req != 0 ? r.req == req : r.userData == userData)) {
                if (current.get(r.pid) == r) {
                    current.remove(r.pid);
                }
                if (r.holds) {
                    directIo.bioReturned(r.holder, result);
                }
                close(r);
                return;
            }
        }
    }

    /**
     * Task {@code pid} exits: do_exit()'s io_uring_files_cancel() waits for the task's requests (5.10 to 7.2), so their
     * bios have completed, whole.
     */
    void exit(int pid) {
        left(pid);
        for (int i = open.size() - 1; i >= 0; i--) {
            Request r = open.get(i);
            if (r.pid == pid) {
                directIo.bioReturned(r.holder, -1);
                close(r);
            }
        }
    }

    private void close(Request r) {
        open.remove(r);
        free.add(r);
    }
}
