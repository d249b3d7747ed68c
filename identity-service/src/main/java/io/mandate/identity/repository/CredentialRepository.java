package io.mandate.identity.repository;

import io.mandate.identity.Credential;
import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The {@code credential} rows: verifiers and public keys, never a secret. */
@ApplicationScoped
public class CredentialRepository {

    private static final String SELECT = "select " + Fields.columns(Credential.class) + " from credential";
    private static final Sql.Mapper<Credential> CREDENTIAL = Fields.reader(Credential.class);

    private final Sql sql;

    CredentialRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(Credential c) {
        sql.insert("credential", c);
    }

    /** Stores what changes after creation: the status, when it was revoked, and the end of a rotation's grace. */
    public void save(Credential c) {
        sql.update("update credential set status = ?2, revoked_at = ?3, expires_at = ?4 where id = ?1",
                c.id, c.status, c.revokedAt, c.expiresAt);
    }

    public List<Credential> findByAgent(String agentId) {
        return sql.list(SELECT + " where agent_id = ?1 order by created_at", CREDENTIAL, agentId);
    }

    public Optional<Credential> findForUpdate(String agentId, String credentialId) {
        return sql.first(SELECT + " where id = ?1 and agent_id = ?2 for update", CREDENTIAL,
                credentialId, agentId);
    }

    public boolean keyIdTaken(String keyId) {
        return sql.exists("select 1 from credential where key_id = ?1", keyId);
    }
}
