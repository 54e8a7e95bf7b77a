package io.neighd.config;

import io.neighd.service.NeighdService;
import io.neighd.service.StateStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's beans: the state file and the running engine with its links. */
@Configuration(proxyBeanMethods = false)
public class NeighdConfiguration {
    @Bean
    StateStore stateStore(NeighdProperties props) {
        return new StateStore(props.stateFile());
    }

    @Bean
    NeighdService neighdService(NeighdProperties props, StateStore state) {
        return new NeighdService(props, state);
    }
}
