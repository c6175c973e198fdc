"""A fixed portfolio whose report figures are worked out by hand in the tests.

The organisation's fiscal year starts in April, and "today" is 2026-12-04,
so the current fiscal year runs from 2026-04-01 to 2027-03-31.

Acme Corporation (owner bob, teammate charlie):
  Proposal 60 %     1,000.00  closes 2027-01-15  owner bob       estimated   600.00
  Proposal 60 %     2,000.00  closes 2027-01-20  owner charlie   estimated 1,200.00
  Negotiation 80 %  5,000.00  closes 2027-03-01  owner bob       estimated 4,000.00
  Prospecting 10 %    300.50  closes 2026-11-30  no owner        estimated    30.05  (past its close date)
  Closed won        4,000.00  closed 2026-05-10
  Closed won        1,000.00  closed 2026-04-01  (first day of the fiscal year)
  Closed lost       2,500.00  closed 2026-03-31  (last day of the previous fiscal year)
Globex (owner dave):
  Qualification 20 % 1,500.00 closes 2027-02-10  owner dave      estimated   300.00
  On hold             700.00  closes 2027-01-01
  Closed lost         800.00  closed 2027-03-31  (last day of the fiscal year)

Open pipeline: 5 opportunities, 9,800.50 total, 6,130.05 estimated.
"""

import datetime
from decimal import Decimal

from accountwise.core.models import Organisation
from accountwise.test import make_account, make_opportunity, stage

TODAY = datetime.date(2026, 12, 4)
FISCAL_YEAR_START_MONTH = 4


def make_portfolio(case) -> None:
    """Create the portfolio above on a BaseTestCase, keeping each opportunity as an attribute."""
    Organisation.objects.update_or_create(pk=1, defaults={"fiscal_year_start_month": FISCAL_YEAR_START_MONTH})
    case.globex = make_account("Globex", owner=case.outsider)
    acme = case.account

    case.proposal_small = make_opportunity(
        acme, "Analytics upsell", stage=stage("Proposal"), value=Decimal("1000.00"),
        close_date=datetime.date(2027, 1, 15), owner=case.owner,
    )
    case.proposal_large = make_opportunity(
        acme, "Support renewal", stage=stage("Proposal"), value=Decimal("2000.00"),
        close_date=datetime.date(2027, 1, 20), owner=case.teammate,
    )
    case.negotiation = make_opportunity(
        acme, "Plant rollout", stage=stage("Negotiation"), value=Decimal("5000.00"),
        close_date=datetime.date(2027, 3, 1), owner=case.owner,
    )
    case.overdue = make_opportunity(
        acme, "Pilot", stage=stage("Prospecting"), value=Decimal("300.50"),
        close_date=datetime.date(2026, 11, 30),
    )
    case.won_may = make_opportunity(
        acme, "Licences", stage=stage("won"), value=Decimal("4000.00"), close_date=datetime.date(2026, 5, 10),
    )
    case.won_first_day = make_opportunity(
        acme, "Training", stage=stage("won"), value=Decimal("1000.00"), close_date=datetime.date(2026, 4, 1),
    )
    case.lost_before = make_opportunity(
        acme, "Old tender", stage=stage("lost"), value=Decimal("2500.00"), close_date=datetime.date(2026, 3, 31),
    )
    case.qualification = make_opportunity(
        case.globex, "Globex expansion", stage=stage("Qualification"), value=Decimal("1500.00"),
        close_date=datetime.date(2027, 2, 10), owner=case.outsider,
    )
    case.on_hold = make_opportunity(
        case.globex, "Paused deal", stage=stage("on_hold"), value=Decimal("700.00"),
        close_date=datetime.date(2027, 1, 1),
    )
    case.lost_last_day = make_opportunity(
        case.globex, "Lost bid", stage=stage("lost"), value=Decimal("800.00"), close_date=datetime.date(2027, 3, 31),
    )
