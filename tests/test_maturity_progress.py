"""The maturity stage tells overall progress (answered / to answer so far) and what opening a level
means, instead of a count of missing answers that grows as levels open."""
from conftest import login
from test_maturity_stage import draft, form_for  # noqa: F401  (the fixture)


def items_on(page: str) -> int:
    return page.count('class="item-id"')


def test_the_first_level_says_how_many_are_answered_and_to_answer(client, enterprise_user, draft):  # noqa: F811
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{draft.id}/stages/cmmm").data.decode()
    level_one = items_on(page)
    assert f"成熟度评估已答 0 题，目前共需答 {level_one} 题（一级）" in page
    assert "如果一级平均得分达到 0.8，说明已达到该级，会接着打开二级的要求" in page
    assert f"已答 0/{level_one} 题" in page                     # the step bar says the same
    assert "还差" not in page


def test_opening_a_level_adds_its_items_to_answer_and_keeps_those_answered(client, enterprise_user, draft):  # noqa: F811
    login(client, enterprise_user)
    level_one = items_on(client.get(f"/diagnoses/{draft.id}/stages/cmmm").data.decode())
    client.post(f"/diagnoses/{draft.id}/stages/cmmm", data=form_for(1, "1"))
    page = client.get(f"/diagnoses/{draft.id}/stages/cmmm?level=2").data.decode()
    total = level_one + items_on(page)
    assert f"成熟度评估已答 {level_one} 题，目前共需答 {total} 题（一级至二级）" in page
    assert f"已答 {level_one}/{total} 题" in page
