/**
 * The test server's implementation: sessions, platform behaviours, rate limit, replay.
 * Not API: may change in any release.
 */
@NullMarked
package io.websockex.adapter.test.internal;

import org.jspecify.annotations.NullMarked;
