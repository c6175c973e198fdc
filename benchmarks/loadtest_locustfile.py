"""Locust users for benchmarks/loadtest.py: API clients that create and update opportunities.

Each user authenticates with its own API token and talks to one of the app servers
named in LOADTEST_HOSTS. A user creates opportunities on its account, updates them,
and adds 1 to the value of a shared opportunity with If-Match. A 412 response to
that means another user changed it first, so the user reads it again and retries.
Counts of what succeeded are written to LOADTEST_RESULTS when the run stops, for
loadtest.py to compare with the database.
"""

import itertools
import json
import os
import random
from decimal import Decimal

import gevent

from locust import HttpUser, between, events, task

SEED = json.loads(open(os.environ["LOADTEST_SEED"]).read())
HOSTS = os.environ["LOADTEST_HOSTS"].split(",")
MAX_REQUESTS = int(os.environ["LOADTEST_MAX_REQUESTS"])
# Retries of one increment before it counts as an error; each retry follows a 412.
MAX_INCREMENT_ATTEMPTS = 50

_user_numbers = itertools.count()
RESULTS = {"created": 0, "increments": {str(pk): 0 for pk in SEED["shared"]}, "stale_412": 0, "gave_up": 0}
_requests_sent = 0
_environment = None


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


@events.request.add_listener
def _stop_at_request_limit(**kwargs):
    global _requests_sent
    _requests_sent += 1
    if _requests_sent == MAX_REQUESTS:
        # Stopping from a greenlet of its own lets the user that sent this request finish it.
        gevent.spawn(_environment.runner.quit)


@events.test_stop.add_listener
def _write_results(**kwargs):
    with open(os.environ["LOADTEST_RESULTS"], "w") as output:
        json.dump(RESULTS, output)


class ApiClient(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        number = next(_user_numbers)
        seat = SEED["users"][number % len(SEED["users"])]
        self.base = HOSTS[number % len(HOSTS)]
        self.headers = {"Authorization": f"Bearer {seat['token']}"}
        self.account = seat["account"]
        self.own_opportunities: list[int] = []

    @task(2)
    def create_opportunity(self):
        body = {
            "account": self.account,
            "name": f"Load test {random.randrange(10**9)}",
            "stage": random.choice(SEED["stages"]),
            "value": f"{random.randrange(1000, 100000)}.00",
            "close_date": "2027-06-30",
        }
        with self.client.post(
            f"{self.base}/api/v1/opportunities/", json=body, headers=self.headers,
            name="create opportunity", catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"create answered {response.status_code}: {response.text[:200]}")
                return
            RESULTS["created"] += 1
            self.own_opportunities.append(response.json()["id"])

    @task(2)
    def update_own_opportunity(self):
        if not self.own_opportunities:
            return
        pk = random.choice(self.own_opportunities)
        url = f"{self.base}/api/v1/opportunities/{pk}/"
        read = self.client.get(url, headers=self.headers, name="read opportunity")
        if read.status_code != 200:
            return
        with self.client.patch(
            url, json={"value": f"{random.randrange(1000, 100000)}.00"},
            headers={**self.headers, "If-Match": read.headers["ETag"]},
            name="update own opportunity", catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"update answered {response.status_code}: {response.text[:200]}")

    @task(3)
    def increment_shared_opportunity(self):
        pk = random.choice(SEED["shared"])
        url = f"{self.base}/api/v1/opportunities/{pk}/"
        for _ in range(MAX_INCREMENT_ATTEMPTS):
            read = self.client.get(url, headers=self.headers, name="read shared opportunity")
            if read.status_code != 200:
                return
            value = Decimal(read.json()["value"]) + 1
            with self.client.patch(
                url, json={"value": str(value)},
                headers={**self.headers, "If-Match": read.headers["ETag"]},
                name="increment shared opportunity", catch_response=True,
            ) as response:
                if response.status_code == 200:
                    RESULTS["increments"][str(pk)] += 1
                    return
                if response.status_code == 412:
                    # Expected under contention: someone else's increment landed first.
                    response.success()
                    RESULTS["stale_412"] += 1
                    continue
                response.failure(f"increment answered {response.status_code}: {response.text[:200]}")
                return
        RESULTS["gave_up"] += 1
