/**
 * The JUnit 5 extension that injects a started
 * {@link io.websockex.adapter.test.WebsockexTestServer} and stops it after the test.
 */
@NullMarked
package io.websockex.adapter.test.junit;

import org.jspecify.annotations.NullMarked;
