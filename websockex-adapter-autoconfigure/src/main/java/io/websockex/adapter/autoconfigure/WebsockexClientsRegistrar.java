package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClients;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.ManagedList;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers, for every {@code websockex.clients.<name>} entry present at start-up, a
 * {@link Config} bean {@code <name>WebsockexConfig} and a client bean
 * {@code <name>WebsockexClient}, both qualified by the plain name, and the
 * {@link WebsockexClients} bean listing the clients in configuration order, which also
 * makes and closes clients registered at run time. The beans themselves are made by
 * {@link WebsockexClientFactory}.
 */
final class WebsockexClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	static final String FACTORY_BEAN_NAME = "websockexClientFactory";

	@SuppressWarnings("NullAway.Init")
	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		ManagedList<RuntimeBeanReference> clients = new ManagedList<>();
		for (String name : bind(this.environment).getClients().keySet()) {
			registry.registerBeanDefinition(configBeanName(name), configDefinition(name));
			registry.registerBeanDefinition(clientBeanName(name), clientDefinition(name));
			clients.add(new RuntimeBeanReference(clientBeanName(name)));
		}
		RootBeanDefinition all = new RootBeanDefinition(WebsockexClients.class);
		all.getConstructorArgumentValues().addIndexedArgumentValue(0, clients);
		// Clients registered at run time are made by the same factory, and closed with
		// the context (before the configured ones, which this bean depends on).
		all.getConstructorArgumentValues().addIndexedArgumentValue(1, new RuntimeBeanReference(FACTORY_BEAN_NAME));
		all.setDestroyMethodName("close");
		registry.registerBeanDefinition("websockexClients", all);
	}

	private static RootBeanDefinition configDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(Config.class);
		definition.setFactoryBeanName(FACTORY_BEAN_NAME);
		definition.setUniqueFactoryMethodName("config");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		return definition;
	}

	private static RootBeanDefinition clientDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(WebsockexClientLifecycle.class);
		definition.setFactoryBeanName(FACTORY_BEAN_NAME);
		definition.setUniqueFactoryMethodName("client");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.getConstructorArgumentValues()
			.addIndexedArgumentValue(1, new RuntimeBeanReference(configBeanName(name)));
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		return definition;
	}

	/**
	 * The properties as bound from the environment, before the properties bean exists:
	 * client entries in configuration order, and the defaults. Unknown keys are left to
	 * the binding of the properties bean, which fails start-up naming them.
	 * @param environment the environment
	 * @return the properties
	 */
	static WebsockexProperties bind(Environment environment) {
		return Binder.get(environment).bind("websockex", WebsockexProperties.class).orElseGet(WebsockexProperties::new);
	}

	static String clientBeanName(String name) {
		return name + "WebsockexClient";
	}

	static String configBeanName(String name) {
		return name + "WebsockexConfig";
	}

}
