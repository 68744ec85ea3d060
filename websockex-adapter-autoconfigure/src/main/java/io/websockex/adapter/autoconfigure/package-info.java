/**
 * Spring Boot auto-configuration of websockex clients.
 */
@NullMarked
package io.websockex.adapter.autoconfigure;

import org.jspecify.annotations.NullMarked;
