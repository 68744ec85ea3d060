/**
 * The public API of websockex: {@link io.websockex.adapter.WebsockexClient}, its
 * {@link io.websockex.adapter.Config}, states, messages, snapshots and exceptions. No
 * Spring here: it works from a plain {@code main}.
 */
@NullMarked
package io.websockex.adapter;

import org.jspecify.annotations.NullMarked;
