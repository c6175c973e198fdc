import io

from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.test import TestCase
from django.utils import timezone

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.core.generate import generate_portfolio
from accountwise.customfields.models import CustomField
from accountwise.customfields.values import fits
from accountwise.opportunities.models import Opportunity, Stage, StageChange, StageKind
from accountwise.plans.models import Plan, PlanAction
from accountwise.users.models import Role, User

ACCOUNTS = 20


def _generate(*arguments: str) -> str:
    output = io.StringIO()
    call_command("generate_data", "--accounts", str(ACCOUNTS), *arguments, stdout=output)
    return output.getvalue()


def _snapshot() -> dict[str, list]:
    """Return what a user would notice of the generated records, in creation order."""
    return {
        "users": list(User.objects.order_by("pk").values_list("username", "first_name", "last_name")),
        "accounts": list(Account.objects.order_by("pk").values_list("name", "parent__name", "owner__username")),
        "contacts": list(Contact.objects.order_by("pk").values_list("first_name", "last_name", "email")),
        "contracts": list(Contract.objects.order_by("pk").values_list("name", "value", "status")),
        "opportunities": list(Opportunity.objects.order_by("pk").values_list("name", "value", "stage__name")),
    }


def _delete_generated() -> None:
    Account._base_manager.all().delete()
    User.objects.all().delete()
    CustomField.objects.all().delete()


class GenerateDataCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = _generate()

    def test_records_scale_with_accounts(self):
        self.assertEqual(Account.objects.count(), ACCOUNTS)
        self.assertEqual(Contact.objects.count(), 5 * ACCOUNTS)
        self.assertEqual(Contract.objects.count(), 5 * ACCOUNTS)
        self.assertEqual(Opportunity.objects.count(), 20 * ACCOUNTS)
        self.assertEqual(Plan.objects.count(), ACCOUNTS)
        self.assertEqual(PlanAction.objects.count(), 3 * ACCOUNTS)

    def test_account_managers_own_accounts(self):
        managers = User.objects.filter(role=Role.ACCOUNT_MANAGER)

        self.assertEqual(managers.count(), 3)
        self.assertFalse(Account.objects.filter(owner__isnull=True).exists())
        self.assertFalse(Account.objects.annotate(members=Count("team_members")).filter(members=0).exists())
        self.assertFalse(Account.team_members.through.objects.filter(account__owner=F("user")).exists())

    def test_managers_cannot_log_in_without_password(self):
        self.assertFalse(any(user.has_usable_password() for user in User.objects.all()))

    def test_summary_printed(self):
        self.assertIn("opportunities", self.output)
        self.assertIn("400", self.output)
        self.assertIn(f"Generated {ACCOUNTS} accounts with seed", self.output)

    def test_opportunities_at_every_stage_kind(self):
        kinds = set(Opportunity.objects.values_list("stage__kind", flat=True))

        self.assertEqual(kinds, set(StageKind.values))

    def test_groups_have_subsidiaries(self):
        subsidiaries = Account.objects.filter(parent__isnull=False)

        self.assertGreater(subsidiaries.count(), 0)
        self.assertFalse(subsidiaries.filter(parent__parent__isnull=False).exists())
        for account in subsidiaries.select_related("parent"):
            with self.subTest(account=account.name):
                self.assertTrue(account.name.startswith(account.parent.name.rsplit(" ", 1)[0]))

    def test_contacts_report_within_account(self):
        self.assertEqual(Contact.objects.filter(reports_to__isnull=True).count(), ACCOUNTS)
        self.assertFalse(Contact.objects.exclude(reports_to__isnull=True).exclude(reports_to__account=F("account")).exists())

    def test_contract_dates_ordered(self):
        self.assertFalse(Contract.objects.filter(end_date__lt=F("start_date")).exists())
        self.assertTrue(Contract.objects.filter(end_date__lt=timezone.localdate()).exists())
        self.assertTrue(Contract.objects.filter(end_date__gt=timezone.localdate()).exists())

    def test_plans_based_on_own_business(self):
        self.assertFalse(Plan.objects.filter(contract__isnull=False).exclude(contract__account=F("account")).exists())
        self.assertFalse(
            Plan.objects.filter(opportunity__isnull=False).exclude(opportunity__account=F("account")).exists()
        )
        self.assertFalse(Plan.objects.filter(due_date__lt=F("start_date")).exists())

    def test_records_pass_model_validation(self):
        for model in (User, Account, Contact, Contract, Opportunity, Plan, PlanAction):
            for record in model.objects.all():
                with self.subTest(model=model.__name__, pk=record.pk):
                    record.full_clean()

    def test_history_of_accounts_contracts_plans(self):
        self.assertEqual(Account.history.count(), ACCOUNTS)
        self.assertEqual(Contract.history.count(), 5 * ACCOUNTS)
        self.assertEqual(Plan.history.count(), ACCOUNTS)


class GenerateDataStageChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        generate_portfolio(ACCOUNTS)

    def test_path_ends_at_current_stage(self):
        for opportunity in Opportunity.objects.prefetch_related("stage_changes"):
            changes = list(opportunity.stage_changes.all())
            with self.subTest(opportunity=opportunity.pk):
                self.assertIsNone(changes[0].from_stage_id)
                self.assertEqual(changes[-1].to_stage_id, opportunity.stage_id)
                for previous, change in zip(changes, changes[1:]):
                    self.assertEqual(change.from_stage_id, previous.to_stage_id)

    def test_path_walks_open_stages_forward(self):
        positions = dict(Stage.objects.values_list("pk", "position"))
        open_stages = set(Stage.objects.filter(kind=StageKind.OPEN).values_list("pk", flat=True))

        for opportunity in Opportunity.objects.prefetch_related("stage_changes"):
            walked = [change.to_stage_id for change in opportunity.stage_changes.all() if change.to_stage_id in open_stages]
            with self.subTest(opportunity=opportunity.pk):
                self.assertEqual(walked, sorted(walked, key=positions.get))

    def test_changes_in_the_past(self):
        self.assertFalse(StageChange.objects.filter(changed_at__gt=timezone.now()).exists())

    def test_closed_ones_change_until_close(self):
        closed = Q(opportunity__stage__kind__in=[StageKind.WON, StageKind.LOST])

        late = StageChange.objects.filter(closed, changed_at__date__gt=F("opportunity__close_date"))

        self.assertFalse(late.exists())

    def test_every_open_stage_has_outcomes(self):
        for stage in Stage.objects.filter(kind=StageKind.OPEN)[:2]:
            passed = Opportunity.objects.filter(stage_changes__to_stage=stage).distinct()
            with self.subTest(stage=stage.name):
                self.assertTrue(passed.filter(stage__kind=StageKind.WON).exists())
                self.assertTrue(passed.filter(stage__kind=StageKind.LOST).exists())


class GenerateDataCustomFieldTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        generate_portfolio(ACCOUNTS)

    def test_definitions_created(self):
        fields = set(CustomField.objects.values_list("entity", "key", "field_type"))

        self.assertEqual(fields, {
            ("account", "tier", "choice"), ("account", "annual_budget", "money"),
            ("contract", "renewal_review", "date"), ("opportunity", "product_line", "choice"),
        })

    def test_values_fit_definitions(self):
        models = {"account": Account, "contract": Contract, "opportunity": Opportunity}
        for field in CustomField.objects.all():
            values = models[field.entity].objects.values_list(f"custom_fields__{field.key}", flat=True)
            with self.subTest(field=field.key):
                self.assertNotIn(None, list(values))
                self.assertTrue(all(fits(field, value) for value in values))

    def test_existing_field_of_other_type_left_alone(self):
        _delete_generated()
        CustomField.objects.create(entity="account", key="tier", label="Tier", field_type="text")

        generate_portfolio(ACCOUNTS)

        self.assertEqual(CustomField.objects.get(key="tier").field_type, "text")
        self.assertFalse(Account.objects.filter(custom_fields__has_key="tier").exists())


class GenerateDataRepeatTests(TestCase):
    def test_same_seed_same_records(self):
        _generate("--seed", "7")
        first = _snapshot()
        _delete_generated()

        _generate("--seed", "7")

        self.assertEqual(_snapshot(), first)

    def test_other_seed_other_names(self):
        _generate("--seed", "7")
        first = _snapshot()
        _delete_generated()

        _generate("--seed", "8")

        self.assertNotEqual(_snapshot()["accounts"], first["accounts"])

    def test_refuses_database_with_accounts(self):
        Account.objects.create(name="Existing customer")

        with self.assertRaisesMessage(CommandError, "The database already has accounts"):
            _generate()

        self.assertEqual(Account.objects.count(), 1)

    def test_force_adds_beside_existing(self):
        _generate()
        _generate("--force")

        names = Account._base_manager.values_list("name", flat=True)
        self.assertEqual(len(names), 2 * ACCOUNTS)
        self.assertEqual(len({name.lower() for name in names}), 2 * ACCOUNTS)
        self.assertEqual(CustomField.objects.count(), 4)

    def test_password_lets_managers_log_in(self):
        _generate("--password", "generated-secret")

        user = User.objects.first()
        self.assertTrue(self.client.login(username=user.username, password="generated-secret"))

    def test_accounts_must_be_positive(self):
        with self.assertRaisesMessage(CommandError, "'0' is not a whole number of at least 1."):
            call_command("generate_data", "--accounts", "0")
