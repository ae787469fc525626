"""A stage page shows all of its errors at once, next to their fields, with a summary that links to each."""
import re

from conftest import login
from test_staged_form import PROFILE, diagnosis, start


def test_every_broken_cross_field_rule_is_shown_in_one_submit(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    response = client.post(url, data={**PROFILE, "f_equipment_digitized": "120", "f_equipment_networked": "150",
                                      "f_key_processes_nc": "11", "action": "next"})
    page = response.data.decode()
    assert response.status_code == 200
    for field in ("f_equipment_digitized", "f_equipment_networked", "f_key_processes_nc"):
        block = re.search(rf'<div class="question has-error" id="q-{field}">.*?</ul>', page, re.S)
        assert block and "不能大于" in block.group(0), field


def test_the_summary_at_the_top_links_to_each_field_in_error(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    page = client.post(url, data={**PROFILE, "f_equipment_networked": "150", "f_key_processes_nc": "11",
                                  "f_robots": "很多", "action": "next"}).data.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', page, re.S).group(0)
    assert "本页有 3 处需要更正" in summary
    assert {"#f_equipment_networked", "#f_key_processes_nc", "#f_robots"} <= set(re.findall(r'href="(#[^"]+)"', summary))
    assert page.index("error-summary") < page.index('id="stage-form"')


def test_nothing_typed_is_lost_when_the_page_has_errors(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    page = client.post(url, data={**PROFILE, "f_equipment_networked": "150", "f_revenue": "9876",
                                  "action": "next"}).data.decode()
    assert 'name="f_equipment_networked" type="text" value="150"' in page
    assert 'name="f_revenue" type="text" value="9876"' in page
    assert diagnosis().profile == {"industry_type": "discrete"}          # nothing of the page saved


def test_a_rule_against_a_total_saved_earlier_is_checked_too(client, enterprise_user):
    login(client, enterprise_user)
    url = start(client)
    client.post(url, data={**PROFILE, "action": "save"})
    response = client.post(url, data={"f_equipment_total": "20", "action": "save"})
    assert response.status_code == 200
    assert "不能大于" in response.data.decode()
    assert diagnosis().profile["equipment_total"] == 100
