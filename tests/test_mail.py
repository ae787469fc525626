"""Outgoing email goes to the configured SMTP server (a real one, started by the test), or nowhere."""
from email.header import decode_header, make_header

from diagnosis import create_app, mail


def _app(**config):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": "sqlite://", **config})

def test_a_message_reaches_the_smtp_server_in_chinese(smtp_server):
    host, port, messages = smtp_server
    with _app(MAIL_SERVER=host, MAIL_PORT=port, MAIL_SENDER="noreply@zhizao.example").app_context():
        assert mail.send("ent@example.com", "诊断已分享", "您的诊断已分享给中原智能咨询。") is True
    (message,) = messages
    assert message["To"] == "ent@example.com"
    assert str(make_header(decode_header(message["Subject"]))) == "诊断已分享"
    assert "中原智能咨询" in message.get_payload(decode=True).decode(message.get_content_charset())

def test_without_a_server_nothing_is_sent():
    with _app().app_context():
        assert mail.configured() is False
        assert mail.send("ent@example.com", "主题", "正文") is False

def test_an_unreachable_server_is_logged_not_raised(caplog):
    with _app(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2).app_context():
        assert mail.send("ent@example.com", "主题", "正文") is False
    assert "not sent" in caplog.text
