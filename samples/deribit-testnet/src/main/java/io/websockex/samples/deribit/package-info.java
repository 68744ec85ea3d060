/**
 * The websockex client against Deribit's public test network.
 */
@NullMarked
package io.websockex.samples.deribit;

import org.jspecify.annotations.NullMarked;
