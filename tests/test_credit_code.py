from diagnosis.accounts.credit_code import check_character, credit_code_problem


def test_a_code_with_the_right_check_character_is_valid():
    assert credit_code_problem("91411000MA45XC8D1W") is None


def test_a_published_code_is_valid():
    # 国家市场监督管理总局's public code
    assert credit_code_problem("11100000MB0143028R") is None


def test_a_wrong_check_character_is_rejected():
    assert "校验位" in credit_code_problem("91411000MA45XC8D1X")


def test_lowercase_input_is_accepted():
    assert credit_code_problem("91411000ma45xc8d1w") is None


def test_wrong_length_names_the_length():
    assert "18 位" in credit_code_problem("91411000MA45XC8D1")


def test_letters_outside_the_alphabet_are_rejected():
    assert "不允许的字符" in credit_code_problem("91411000MA45XC8DIW")


def test_check_character_uses_modulo_31():
    assert check_character("91350100M000100Y4") == "3"
