/**
 * Platform dialects: how a server spells subscribe, unsubscribe, auth and notifications.
 */
@NullMarked
package io.websockex.adapter.platform;

import org.jspecify.annotations.NullMarked;
