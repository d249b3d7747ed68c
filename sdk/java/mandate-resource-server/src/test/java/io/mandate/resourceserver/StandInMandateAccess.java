package io.mandate.resourceserver;

/** {@link StandInMandate} for the framework tests in other packages. */
public final class StandInMandateAccess implements AutoCloseable {

    private final StandInMandate mandate;

    public StandInMandateAccess() throws Exception {
        mandate = new StandInMandate();
    }

    public MandateResourceServer resourceServer(String audience) {
        return mandate.resourceServer(audience).build();
    }

    public String token(String audience, String scope) throws Exception {
        return mandate.sign(StandInMandate.claims(audience, scope));
    }

    @Override
    public void close() {
        mandate.close();
    }
}
