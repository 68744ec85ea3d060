/**
 * A live, self-healing market feed: a websockex client configured in YAML, receiving
 * tickers and trades through {@code @WebsockexListener} methods.
 */
@NullMarked
package io.websockex.samples.marketfeed;

import org.jspecify.annotations.NullMarked;
