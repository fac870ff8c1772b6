"""A share link's token is made and recognised from one constant (assessments.sharing)."""

from assessments import sharing


def test_a_new_token_is_well_formed_and_its_length_follows_from_its_bytes():
    token = sharing.token_new()
    assert len(token) == sharing.TOKEN_LENGTH == 32
    assert sharing.token_is_wellformed(token)


def test_anything_else_is_not_a_token():
    token = sharing.token_new()
    for other in (token[:-1], token + "a", token[:-1] + "=", token[:-1] + "\x00", ""):
        assert not sharing.token_is_wellformed(other)
