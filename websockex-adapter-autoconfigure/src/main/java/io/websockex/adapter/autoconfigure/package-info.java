/**
 * Spring Boot auto-configuration of websockex: every {@code websockex.clients.<name>}
 * entry becomes a {@link io.websockex.adapter.Config} bean and a
 * {@link io.websockex.adapter.WebsockexClient} bean that starts and stops with the
 * application context; {@link io.websockex.adapter.WebsockexListener} methods, events,
 * customizers and failure analysis.
 */
@NullMarked
package io.websockex.adapter.autoconfigure;

import org.jspecify.annotations.NullMarked;
