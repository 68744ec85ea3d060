package io.websockex.adapter.autoconfigure;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;

/**
 * Finds {@link WebsockexListener} methods on beans, checks them when the bean is created
 * (an unknown client or an unusable signature fails start-up), and subscribes them to the
 * {@code messages()} of every client they name (or whose name matches their
 * {@code client} pattern, such as {@code account-*}) once every singleton exists, before
 * the clients connect; clients registered at run time are subscribed before they connect,
 * and unsubscribed when removed. Each listener runs on its own worker, one message at a
 * time; an exception from it is logged and counted in {@link WebsockexListenerErrors},
 * never ending the subscription, and a listener that fell {@code inbound-buffer} messages
 * behind is subscribed again.
 */
final class WebsockexListenerBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, EnvironmentAware, SmartInitializingSingleton, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(WebsockexListenerBeanPostProcessor.class);

	// Beans are created and destroyed on the context's thread; the lists are
	// copy-on-write only so that a lazily created bean may register from another thread.
	private final List<ListenerMethod> listeners = new CopyOnWriteArrayList<>();

	private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();

	// Per client name, so that a client removed at run time takes its subscriptions.
	private final Map<String, List<Disposable>> subscriptions = new ConcurrentHashMap<>();

	private final Map<ListenerMethod, String> unresolved = new ConcurrentHashMap<>();

	private volatile @Nullable WebsockexClients registry;

	private @Nullable Disposable registration;

	private @Nullable BeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable WebsockexProperties properties;

	private @Nullable Scheduler scheduler;

	private @Nullable JsonMapper mapper;

	private @Nullable WebsockexListenerErrors errors;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.withoutListeners.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, WebsockexListener.class)) {
			return bean;
		}
		Map<Method, WebsockexListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<WebsockexListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, WebsockexListener.class));
		if (methods.isEmpty()) {
			this.withoutListeners.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> register(bean, method, annotation));
		return bean;
	}

	private void register(Object bean, Method method, WebsockexListener annotation) {
		String where = method.getDeclaringClass().getName() + "." + method.getName();
		String client = annotation.client();
		ChannelPattern clients = ChannelPattern.of(client);
		WebsockexProperties.Client entry = clients().get(client);
		if (method.getParameterCount() != 1) {
			throw listenerError(client, where, "must take exactly one parameter (String, JsonNode, WebsockexMessage, "
					+ "byte[], Platform.Notification or a type Jackson can bind), has " + method.getParameterCount());
		}
		ChannelPattern channel = annotation.channel().isEmpty() ? null : ChannelPattern.of(annotation.channel());
		ListenerMethod listener = new ListenerMethod(bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
				client, channel);
		if (channel != null && listener.kind() == ListenerMethod.Kind.BYTES) {
			throw listenerError(client, where, "takes byte[], but channel notifications are JSON: take JsonNode, "
					+ "String or a type Jackson can bind");
		}
		if (channel == null && listener.kind() == ListenerMethod.Kind.NOTIFICATION) {
			throw listenerError(client, where, "takes Platform.Notification, which needs a channel: set channel");
		}
		String platform = (entry != null) ? new WebsockexPropertiesMapper(client, properties()).platform() : null;
		if (channel != null && platform != null && "raw".equalsIgnoreCase(platform.trim())) {
			throw new WebsockexConfigurationException(client, "platform",
					"is raw, which has no channels, but " + "@WebsockexListener " + where + " filters channel '"
							+ channel + "'",
					"Set websockex.clients." + client + ".platform to deribit or json-rpc, or remove the channel of "
							+ "@WebsockexListener " + where + " to receive every message.",
					null);
		}
		this.listeners.add(listener);
		WebsockexClients registry = this.registry;
		if (registry != null) {
			// A bean created after start-up (lazy or prototype): subscribe at once.
			if (clients.isExact() && !registry.contains(client)) {
				throw unknownClient(client, where, registry.names());
			}
			registry.forEach((candidate) -> subscribeIfMatching(listener, candidate));
		}
		else if (entry == null && clients.isExact()) {
			// Not configured: it may still be registered at run time before the context
			// is refreshed; checked once every singleton exists.
			this.unresolved.put(listener, where);
		}
	}

	private static WebsockexConfigurationException unknownClient(String client, String where, Set<String> known) {
		return new WebsockexConfigurationException(client, "url",
				"is not configured, but @WebsockexListener " + where + " names client '" + client + "'; known clients: "
						+ known,
				"Configure websockex.clients." + client + ".url, or set the client of @WebsockexListener " + where
						+ " to one of " + known + ", or to a pattern such as 'account-*' for clients registered "
						+ "at run time.",
				null);
	}

	private static WebsockexConfigurationException listenerError(String client, String where, String problem) {
		return new WebsockexConfigurationException(client, "listener",
				"has an unusable @WebsockexListener method " + where + ": it " + problem,
				"Change the signature of " + where + ".", null);
	}

	private Map<String, WebsockexProperties.Client> clients() {
		return properties().getClients();
	}

	private WebsockexProperties properties() {
		if (this.properties == null) {
			this.properties = WebsockexClientsRegistrar.bind(requireNonNull(this.environment));
		}
		return this.properties;
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory beanFactory = requireNonNull(this.beanFactory);
		WebsockexClients registry = beanFactory.getBean(WebsockexClients.class);
		this.unresolved.forEach((listener, where) -> {
			if (!registry.contains(listener.client())) {
				throw unknownClient(listener.client(), where, registry.names());
			}
		});
		this.unresolved.clear();
		this.mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfUnique(JsonMapper::shared);
		this.errors = beanFactory.getBean(WebsockexListenerErrors.class);
		this.scheduler = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
				Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "websockex-listener", 60, true);
		this.registration = registry.addListener(new WebsockexClients.Listener() {

			@Override
			public void registered(WebsockexClient client) {
				WebsockexListenerBeanPostProcessor.this.listeners
					.forEach((listener) -> subscribeIfMatching(listener, client));
			}

			@Override
			public void removed(WebsockexClient client) {
				List<Disposable> subscriptions = WebsockexListenerBeanPostProcessor.this.subscriptions
					.remove(client.name());
				if (subscriptions != null) {
					subscriptions.forEach(Disposable::dispose);
				}
				requireNonNull(WebsockexListenerBeanPostProcessor.this.errors).forget(client.name());
			}

		});
		this.registry = registry;
		for (WebsockexClient client : registry) {
			this.listeners.forEach((listener) -> subscribeIfMatching(listener, client));
		}
	}

	private void subscribeIfMatching(ListenerMethod listener, WebsockexClient client) {
		if (!listener.clients().matches(client.name())) {
			return;
		}
		Platform platform = client.config().platform();
		if (listener.channel() != null && !platform.supportsSubscriptions()) {
			// Configured clients were checked at start-up; a run-time one is skipped,
			// not failed: the pattern may be broader than the clients with channels.
			logger.warn(
					"websockex listener {} filters channel '{}' but client '{}' has platform {}, which has no "
							+ "channels; not subscribed to it",
					listener.describe(), listener.channel(), client.name(), platform.name());
			return;
		}
		// publishOn: listeners may block, and must not do so on the connection's I/O
		// thread. messages() is one hot stream for the client's life, so only an
		// overflow ends a subscription early; subscribing again resumes delivery.
		Disposable subscription = Flux.defer(client::messages)
			.publishOn(requireNonNull(this.scheduler))
			.retryWhen(Retry.indefinitely()
				.filter(BufferOverflowException.class::isInstance)
				.doBeforeRetry((signal) -> logger.warn(
						"websockex listener {} fell behind and missed messages: {}; " + "resubscribed",
						listener.describe(), signal.failure().getMessage())))
			.subscribe((message) -> deliver(listener, client.name(), platform, message),
					(error) -> logger.error("websockex listener {} stopped receiving", listener.describe(), error));
		this.subscriptions.computeIfAbsent(client.name(), (name) -> new CopyOnWriteArrayList<>()).add(subscription);
		logger.debug("websockex listener {} subscribed to client '{}'{}", listener.describe(), client.name(),
				(listener.channel() != null) ? " channel '" + listener.channel() + "'" : "");
	}

	private void deliver(ListenerMethod listener, String client, Platform platform, WebsockexMessage message) {
		try {
			Object argument = listener.argument(message, platform, requireNonNull(this.mapper));
			if (argument != null) {
				listener.invoke(argument);
			}
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			requireNonNull(this.errors).record(client);
			logger.warn("websockex listener {} of client '{}' failed on a message; delivery goes on",
					listener.describe(), client, ex);
		}
	}

	@Override
	public void destroy() {
		Disposable registration = this.registration;
		if (registration != null) {
			registration.dispose();
		}
		this.subscriptions.values().forEach((list) -> list.forEach(Disposable::dispose));
		this.subscriptions.clear();
		Scheduler scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.dispose();
		}
	}

	private static <T> T requireNonNull(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("websockex listener support is not initialized");
		}
		return value;
	}

}
