package io.codingengine.api.config;

import io.codingengine.api.access.AccessFilter;
import io.codingengine.api.access.AccessRules;
import io.codingengine.api.access.ApiKeyStore;
import io.codingengine.api.access.Authenticator;
import io.codingengine.api.web.ClientAddress;
import io.codingengine.api.web.CorrelationIdFilter;
import io.codingengine.api.web.JsonErrorReportValve;
import io.codingengine.api.web.ProblemResponses;
import io.codingengine.api.web.QueryTextFilter;
import io.codingengine.api.web.RequestSizeFilter;
import io.codingengine.api.web.RequestsPerAddressFilter;
import io.codingengine.api.web.SecurityHeadersFilter;
import java.time.Duration;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access to the api: CORS first (so refusals still carry CORS headers for allowed origins),
 * then the key check of {@link AccessFilter} before anything else.
 */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

    @Bean
    Authenticator authenticator(ApiKeyStore keys, EngineProperties p) {
        return new Authenticator(keys, p.access().adminKeySha256(), p.access().keyCacheTtl());
    }

    /** Who a request without a key comes from: the peer, or behind trusted proxies what they forward. */
    @Bean
    ClientAddress clientAddress(EngineProperties p) {
        return new ClientAddress(p.access().trustedProxies(), p.access().clientAddressHeader());
    }

    @Bean
    AccessRules accessRules(EngineProperties p) {
        return AccessRules.standard(p.access().pistonOpen());
    }

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(EngineProperties p) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(p.access().corsOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Correlation-Id"));
        cors.setExposedHeaders(List.of("Location", "Retry-After", "WWW-Authenticate", "X-Correlation-Id"));
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        var registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** First of all, so even a refused request is logged with its id. */
    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        var registration = new FilterRegistrationBean<>(new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Right after the correlation id, so slow clients are turned away before anything is read. */
    @Bean
    FilterRegistrationBean<RequestsPerAddressFilter> requestsPerAddressFilter(
            EngineProperties p, ClientAddress addresses) {
        var registration = new FilterRegistrationBean<>(
                new RequestsPerAddressFilter(p.limits().requestsPerAddress(), addresses));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Tomcat's refusals (a bad path or header, before any filter) in the API's JSON shape. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context ->
                ((StandardHost) context.getParent()).setErrorReportValveClass(JsonErrorReportValve.class.getName()));
    }

    /** On every answer, refusals included. */
    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        var registration = new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Before the key check: a malformed query is refused whoever sends it. */
    @Bean
    FilterRegistrationBean<QueryTextFilter> queryTextFilter(ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new QueryTextFilter(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    @Bean
    FilterRegistrationBean<AccessFilter> accessFilter(
            AccessRules rules, Authenticator authenticator, ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new AccessFilter(rules, authenticator, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** After the key check, so an anonymous client learns it needs a key before it learns a size. */
    @Bean
    FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(EngineProperties p, ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeFilter(p.maxRequestSize().toBytes(), p.limits().bodyReadTimeout(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }
}
