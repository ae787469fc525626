"""The browser tests run against the application as deployed: CSRF protection is on."""


def test_the_live_server_refuses_a_form_posted_without_its_csrf_token(open_browser):
    page = open_browser("anonymous")
    response = page.request.post("/login", form={"email": "someone@example.com", "password": "Any-password-1"},
                                 max_redirects=0)
    assert response.status == 400
