package io.mandate.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * The humans identity-service has disabled, as a service consuming {@code mandate.identity} saw
 * them ({@code human.disabled}; table {@code disabled_human}, migration in {@code db/auth}). A
 * disabled human's token, valid for hours, stops working at once in that service too. The directory
 * of services other than identity-service, which answers from its own accounts instead.
 */
@ApplicationScoped
@DefaultBean
public class DisabledHumans implements HumanDirectory {

    public static final String HUMAN_DISABLED = "human.disabled";

    private final EntityManager em;

    DisabledHumans(EntityManager em) {
        this.em = em;
    }

    /** Records the human a {@code human.disabled} event names (other types are ignored), in the consumer's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(String eventType, String tenantId, String userId) {
        if (!HUMAN_DISABLED.equals(eventType)) {
            return;
        }
        if (userId == null || tenantId == null) {
            throw new IllegalArgumentException(HUMAN_DISABLED + " without user_id or tenant id");
        }
        em.createNativeQuery("insert into disabled_human (user_id, tenant_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, userId).setParameter(2, tenantId).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isActive(String tenantId, String userId) {
        return em.createNativeQuery("select 1 from disabled_human where user_id = ?1").setParameter(1, userId)
                .getResultList().isEmpty();
    }

    /** Enterprise-IdP identities are mapped only where the accounts are: identity-service. */
    @Override
    public Optional<Caller> external(String tenantId, String subject, String email) {
        return Optional.empty();
    }
}
