package io.websockex.adapter.test.internal;

import java.util.List;
import java.util.Set;

import io.websockex.adapter.test.spring.AutoConfigureWebsockexTestServer;
import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link AutoConfigureWebsockexTestServer} on a test class (or an enclosing one)
 * and adds the customizer that starts the server. Registered in
 * {@code META-INF/spring.factories}.
 */
public final class WebsockexTestServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureWebsockexTestServer annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureWebsockexTestServer.class);
		if (annotation == null) {
			return null;
		}
		return new WebsockexTestServerContextCustomizer(annotation.platform(), Set.of(annotation.clients()));
	}

}
