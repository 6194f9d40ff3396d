"""Failed logins are limited per address and per username, however fast and however many."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.support.http import PASSWORD, add_user, assert_error, login
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer


def test_more_than_ten_failed_logins_a_minute_for_one_ip_and_username_get_429(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    assert add_user(api, admin, "victim").status_code == 201
    for _ in range(10):
        assert_error(login(live, "victim", "wrong-password"), 401, "unauthorized")
    assert_error(login(live, "victim", "wrong-password"), 429, "rate_limited")
    # While limited, even the right password is refused: the limit protects the account.
    assert_error(login(live, "victim", PASSWORD), 429, "rate_limited")
    # The limit is per username: another account from the same address still logs in.
    assert login(live, "admin", ADMIN_PASSWORD).status_code == 200


def test_successful_logins_do_not_count_towards_the_failed_login_limit(
        live: LiveServer) -> None:
    # Only failed logins are rate-limited; a busy admin (or the test helpers) logging in
    # a dozen times a minute with the right password must not be locked out.
    for i in range(12):
        r = login(live, "admin", ADMIN_PASSWORD)
        assert r.status_code == 200, f"login #{i + 1}: {r.status_code} {r.text}"


def test_wrong_logins_with_a_new_username_each_time_are_limited_per_address(
        live: LiveServer) -> None:
    codes = [login(live, f"nobody{i}", "wrong-password").status_code for i in range(40)]
    assert codes[:30] == [401] * 30
    assert set(codes[30:]) == {429}


def test_a_parallel_burst_of_wrong_logins_is_counted_before_the_password_check(live: LiveServer, api: Api) -> None:
    add_user(api, api.admin(), "target")
    with ThreadPoolExecutor(25) as pool:
        codes = list(pool.map(lambda _: login(live, "target", "wrong-password").status_code,
                              range(25)))
    # Per username: 10 a minute, however many arrive at once.
    assert codes.count(401) == 10 and codes.count(429) == 15
