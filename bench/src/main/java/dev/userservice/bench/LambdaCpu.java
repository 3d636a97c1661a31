package dev.userservice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --lambda-cpu}: the CPU Lambda gives a function, applied to each measured JVM through a CPU cgroup. An
 * on-demand function initialises on a whole vCPU, not throttled, and is then invoked on its memory's share of one
 * (1,769 MB is one vCPU), as the AWS guide "Effectively running Java on Serverless" states; the launcher moves its
 * JVM into the cgroup at its start and lowers the quota once the handler is built (and, with {@code --primed},
 * once {@code beforeCheckpoint} has run), so work a handler does at init and work it leaves to its first request
 * are each paid at Lambda's rate. Without it every phase runs on this machine's full cores, which flatters a
 * function that leaves its work to the first request against one that does it at init.
 */
final class LambdaCpu {
    /** Lambda's documented full vCPU: the memory size at which a function gets one. */
    private static final int MB_PER_VCPU = 1_769;
    /** The CFS period the quotas are enforced in: the benchmark's choice, since Lambda publishes none. */
    private static final int PERIOD_MICROS = 20_000;
    /** An on-demand init's share: one full vCPU, not throttled. */
    private static final double INIT_VCPUS = 1.0;

    private static final Path CGROUP_V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path CGROUP_V2 = Path.of("/sys/fs/cgroup");
    private static final String NAME = "userservice-bench";

    private final Path cgroup;

    private LambdaCpu(Path cgroup) {
        this.cgroup = cgroup;
    }

    /** Creates the benchmark's CPU cgroup, or says why it cannot (it needs root and a CPU controller). */
    static LambdaCpu create() {
        try {
            if (Files.isRegularFile(CGROUP_V1.resolve("cpu.cfs_quota_us"))) {
                return new LambdaCpu(Files.createDirectories(CGROUP_V1.resolve(NAME)));
            }
            if (Files.readString(CGROUP_V2.resolve("cgroup.controllers")).contains("cpu")) {
                Files.writeString(CGROUP_V2.resolve("cgroup.subtree_control"), "+cpu");
                return new LambdaCpu(Files.createDirectories(CGROUP_V2.resolve(NAME)));
            }
            throw new IllegalStateException("bench: --lambda-cpu needs the kernel's CPU controller, and this machine has none");
        } catch (IOException e) {
            throw new IllegalStateException("bench: --lambda-cpu needs a CPU cgroup it can create (run it as root): " + e, e);
        }
    }

    /** The launcher's flags for a function of {@code memoryMb}: where to move itself, and the quotas to apply. */
    List<String> jvmFlags(int memoryMb) {
        String invokeVcpus = String.format(Locale.ROOT, "%.4f", memoryMb / (double) MB_PER_VCPU);
        return List.of("-Dbench.cpu.cgroup=" + cgroup, "-Dbench.cpu.periodMicros=" + PERIOD_MICROS,
                "-Dbench.cpu.initVcpus=" + INIT_VCPUS, "-Dbench.cpu.invokeVcpus=" + invokeVcpus);
    }

    /** Removes the cgroup once no measured JVM is left in it. */
    void close() {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe() {
        return "Lambda's (`--lambda-cpu`): one full vCPU while the JVM starts and the handler is built, then the function's "
                + "`MemorySize` ÷ " + String.format(Locale.ROOT, "%,d", MB_PER_VCPU) + " MB of one for the invocation "
                + "(0.58 at 1,024 MB), by a CPU cgroup's quota in " + PERIOD_MICROS / 1_000 + " ms periods; the reference alike";
    }
}
