package io.neighd.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Errors answered outside the controllers, as problems: the container's error page
 * ({@link ProblemErrorFilter}) and Tomcat's own report ({@link ProblemReportValve}), on the API's
 * server and, through {@link ManagementProblemPages}, on a separate management
 * server.
 */
@Configuration(proxyBeanMethods = false)
class ProblemPages {
    @Bean
    FilterRegistrationBean<ProblemErrorFilter> problemErrorFilter() {
        return ProblemErrorFilter.registration("problemErrorFilter");
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
        return ProblemReportValve.customizer();
    }
}
