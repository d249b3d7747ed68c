package io.mandate.identity.repository;

import io.mandate.identity.Credential;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, String> {

    public List<Credential> findByAgent(String agentId) {
        return list("agentId", agentId);
    }
}
