package io.mandate.token.rest;

import io.mandate.token.authorize.AuthorizationError;
import io.mandate.token.browser.Pages;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * An authorization request refused anywhere in the pages (a form sent twice answers an already answered
 * request): back to the client when its redirect URI is known, else a page; never a 500.
 */
public class PageExceptionMapper {

    private final Pages pages;

    PageExceptionMapper(Pages pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response refused(AuthorizationError e) {
        return pages.refused(e);
    }
}
