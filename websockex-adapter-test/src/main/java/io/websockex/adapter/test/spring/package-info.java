/**
 * Spring test wiring: {@code @AutoConfigureWebsockexTestServer} points the configured
 * websockex clients at a {@link io.websockex.adapter.test.WebsockexTestServer}.
 */
@NullMarked
package io.websockex.adapter.test.spring;

import org.jspecify.annotations.NullMarked;
