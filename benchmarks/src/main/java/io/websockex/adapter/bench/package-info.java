/**
 * Benchmarks of websockex against raw Reactor Netty: a load server and the drivers that
 * measure both, each in its own JVM. Run by {@code benchmarks/run.sh}; see
 * {@code docs/benchmarks.md}.
 */
@NullMarked
package io.websockex.adapter.bench;

import org.jspecify.annotations.NullMarked;
