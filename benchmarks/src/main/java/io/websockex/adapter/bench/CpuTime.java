package io.websockex.adapter.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole JVM (every thread, GC and JIT included). On a busy machine the
 * wall-clock rate swings with what else runs, while CPU time per message mostly does not,
 * so both are reported.
 */
final class CpuTime {

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private CpuTime() {
	}

	/**
	 * @return nanoseconds of CPU this JVM used so far
	 */
	static long processNanos() {
		return os.getProcessCpuTime();
	}

}
