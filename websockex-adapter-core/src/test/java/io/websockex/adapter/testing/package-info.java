/**
 * Client clean-up around the test server, shared by the core's and autoconfigure's tests.
 */
@NullMarked
package io.websockex.adapter.testing;

import org.jspecify.annotations.NullMarked;
