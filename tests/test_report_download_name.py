"""The PDF report is downloaded (not opened inline) under a name that says whose report it is."""
from urllib.parse import unquote

from conftest import login, submit_demo


def test_the_report_downloads_as_an_attachment_named_after_the_enterprise(app, client, enterprise_user):
    d = submit_demo(enterprise_user)
    login(client, enterprise_user)
    response = client.get(f"/diagnoses/{d.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{d.number}.pdf"; filename*=UTF-8\'\'')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == f"许昌测试装备制造有限公司-智能化转型诊断报告-{d.number}.pdf"
    assert encoded.isascii() and " " not in encoded


def test_characters_a_file_name_cannot_hold_are_left_out(app, enterprise_user):
    from diagnosis.reports.web.views import report_filename
    d = submit_demo(enterprise_user)
    d.enterprise.name = '许昌/测试"装备"<有限>公司'
    assert report_filename(d) == f"许昌测试装备有限公司-智能化转型诊断报告-{d.number}.pdf"
