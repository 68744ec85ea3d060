/**
 * The implementation of websockex (not API: anything here may change in any release).
 * Sub-packages hold one concern each: {@code client} (the facade, the connection loop and
 * its sessions, the transport), {@code heartbeat}, {@code jsonrpc}, {@code ratelimit}.
 *
 * <h2>Conventions for concurrent state</h2>
 * <ul>
 * <li><b>One owner, one drain loop.</b> State that several threads change (a connection's
 * phase, generation, retries and timers; a rate limiter's bucket and queue) is changed
 * only by tasks on one {@link io.websockex.adapter.internal.SerialExecutor}: whichever
 * thread finds it idle runs the queued tasks in order. No locks, no thread hop, and never
 * a second hand-written loop: a new owner takes a {@code SerialExecutor} (with an
 * after-drain step if it must act once per batch).</li>
 * <li><b>Hot fields: {@code VarHandle}s, with the writer named.</b> A per-connection
 * field that is read or changed outside the owner (a session's end cause, its unwritten
 * frame count, a lazily made sink) is a {@code volatile} field reached through a
 * {@code static final VarHandle}, not an {@code AtomicReference}/{@code AtomicInteger}:
 * one object less per connection, and the field's comment says who writes it (single
 * writer: plain volatile write; several writers: CAS, first one wins).</li>
 * <li><b>Published snapshots.</b> What the owner computes and others only read (state,
 * last error, available tokens) is a {@code volatile} field written only by the owner.
 * </li>
 * <li>Nothing here blocks: tasks may run on a Netty event loop.</li>
 * </ul>
 */
@NullMarked
package io.websockex.adapter.internal;

import org.jspecify.annotations.NullMarked;
