/**
 * Recording of every frame a client sends and receives, as JSON Lines with secrets
 * masked, for replay by the test server of {@code websockex-adapter-test}.
 */
@NullMarked
package io.websockex.adapter.internal.recording;

import org.jspecify.annotations.NullMarked;
