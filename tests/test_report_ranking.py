"""Short lists cut from a ranking say when the cut falls inside a group of equal values."""
from diagnosis.reports.content import ranking


def value(item):
    return item[1]


def test_the_first_items_report_how_many_more_tie_with_the_last():
    cut = ranking.first([("a", 0.0), ("b", 0.5), ("c", 0.5), ("d", 0.5)], value, 2)
    assert [x for x, _ in cut.shown] == ["a", "b"] and cut.tied_left_out == 2 and cut.value == 0.5


def test_a_cut_between_different_values_leaves_no_tie():
    cut = ranking.first([("a", 0.0), ("b", 0.5), ("c", 0.8)], value, 2)
    assert cut.tied_left_out == 0


def test_whole_groups_drop_a_group_that_does_not_fit():
    cut = ranking.whole_groups([("a", 2), ("b", 2), ("c", 3), ("d", 3), ("e", 3)], value, 3)
    assert [x for x, _ in cut.shown] == ["a", "b"] and cut.tied_left_out == 0


def test_a_first_group_longer_than_the_limit_is_cut_and_counted():
    cut = ranking.whole_groups([("a", 1), ("b", 1), ("c", 1), ("d", 1)], value, 3)
    assert len(cut.shown) == 3 and cut.tied_left_out == 1 and cut.value == 1


def test_floats_that_print_the_same_tie():
    cut = ranking.first([("a", 0.1 + 0.2), ("b", 0.3)], value, 1)
    assert cut.tied_left_out == 1
