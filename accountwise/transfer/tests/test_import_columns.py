import io

import openpyxl
from django.core.files.base import ContentFile
from django.urls import reverse

from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.tests.support import WizardTestCase

HUBSPOT_DEALS = (
    "Record ID,Deal Name,Associated Company,Deal Stage,Amount,Close Date,Pipeline\n"
    "9001,Renewal,Acme Corporation,Closed won,1000,2026-03-31,Sales\n"
)


def columns_url(run) -> str:
    return reverse("transfer:import-columns", args=[run.pk])


class ImportColumnsAccessTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(self.owner, "name\nGlobex\n")

    def test_creator_sees_columns(self):
        self.login(self.owner)

        self.assertEqual(self.client.get(columns_url(self.run)).status_code, 200)

    def test_other_member_gets_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.get(columns_url(self.run)).status_code, 404)

    def test_administrator_gets_404(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(columns_url(self.run)).status_code, 404)

    def test_started_run_redirects_to_result(self):
        self.run.status = ImportStatus.DONE
        self.run.save()
        self.login(self.owner)

        response = self.client.get(columns_url(self.run))

        self.assertRedirects(response, reverse("transfer:import-result", args=[self.run.pk]))


class ImportColumnsTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def test_prefilled_from_hubspot_headers(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        response = self.client.get(columns_url(run))

        form = response.context["form"]
        chosen = {form[name].label: form[name].value() for name in form.column_names}
        self.assertEqual(chosen, {
            "Record ID": "external_id", "Deal Name": "name", "Associated Company": "account",
            "Deal Stage": "stage", "Amount": "value", "Close Date": "close_date", "Pipeline": "",
        })

    def test_sample_values_shown(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        response = self.client.get(columns_url(run))

        self.assertContains(response, '<span class="d-block text-truncate">Acme Corporation</span>', html=True)

    def test_mapping_saved(self):
        run = self.make_run(self.owner, "Company,Sector,Notes\nGlobex,Energy,x\n")

        response = self.client.post(columns_url(run), self.columns_data(run, {"Notes": "description"}))

        self.assertRedirects(response, reverse("transfer:import-preview", args=[run.pk]))
        run.refresh_from_db()
        self.assertEqual(run.mapping, {"Company": "name", "Sector": "industry", "Notes": "description"})

    def test_opportunities_go_to_stages(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        response = self.client.post(columns_url(run), self.columns_data(run))

        self.assertRedirects(response, reverse("transfer:import-stages", args=[run.pk]), fetch_redirect_response=False)

    def test_ignored_column_saved_as_none(self):
        run = self.make_run(self.owner, "Company,Sector\nGlobex,Energy\n")

        self.client.post(columns_url(run), self.columns_data(run, {"Sector": ""}))

        run.refresh_from_db()
        self.assertEqual(run.mapping, {"Company": "name", "Sector": None})

    def test_field_chosen_twice_rejected(self):
        run = self.make_run(self.owner, "Company,Sector,Industry\nGlobex,Energy,Power\n")

        response = self.client.post(columns_url(run), self.columns_data(run, {"Industry": "industry", "Sector": "industry"}))

        self.assertContains(
            response, "&quot;Sector&quot; already feeds the industry; choose another field for this column or ignore it."
        )
        run.refresh_from_db()
        self.assertEqual(run.mapping, {})

    def test_required_field_missing_rejected(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        response = self.client.post(columns_url(run), self.columns_data(run, {"Deal Stage": "", "Amount": ""}))

        self.assertContains(
            response, "Choose the column that holds the stage, the value: every opportunity needs them."
        )

    def test_contact_needs_a_name_column(self):
        run = self.make_run(self.owner, "Email,Company\na@example.com,Acme Corporation\n", entity="contacts")

        response = self.client.post(columns_url(run), self.columns_data(run))

        self.assertContains(response, "Choose the column that holds the last name or full name: every contact needs it.")

    def test_options_saved(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        self.client.post(columns_url(run), self.columns_data(run, date_format="%d/%m/%Y", create_accounts="on"))

        run.refresh_from_db()
        self.assertEqual(run.options["date_format"], "%d/%m/%Y")
        self.assertTrue(run.options["create_accounts"])

    def test_create_owners_only_for_administrators(self):
        run = self.make_run(self.owner, HUBSPOT_DEALS, entity="opportunities")

        response = self.client.get(columns_url(run))

        self.assertNotIn("create_owners", response.context["form"].fields)

    def test_administrator_may_create_owners(self):
        run = self.make_run(self.admin, HUBSPOT_DEALS, entity="opportunities")
        self.login(self.admin)

        response = self.client.get(columns_url(run))

        self.assertIn("create_owners", response.context["form"].fields)

    def test_no_date_option_for_accounts(self):
        run = self.make_run(self.owner, "name\nGlobex\n")

        response = self.client.get(columns_url(run))

        self.assertNotIn("date_format", response.context["form"].fields)


class FileSettingsTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def workbook_run(self) -> ImportRun:
        workbook = openpyxl.Workbook()
        workbook.active.title = "Notes"
        workbook.active.append(["text"])
        workbook.active.append(["read me"])
        deals = workbook.create_sheet("Accounts")
        deals.append(["Account Name", "Industry"])
        deals.append(["Globex", "Energy"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        run = ImportRun(created_by=self.owner, entity="accounts", file_name="book.xlsx", row_count=1)
        run.file.save("book.xlsx", ContentFile(buffer.getvalue()))
        return run

    def test_sheets_offered(self):
        run = self.workbook_run()

        response = self.client.get(columns_url(run))

        self.assertContains(response, "The workbook has 2 sheets; choose the one that holds the data.")
        self.assertEqual(response.context["settings_form"].fields["sheet"].choices, [("Notes", "Notes"), ("Accounts", "Accounts")])

    def test_other_sheet_read(self):
        run = self.workbook_run()

        self.client.post(columns_url(run), {"read_again": "1", "sheet": "Accounts"})

        run.refresh_from_db()
        self.assertEqual(run.options["sheet"], "Accounts")
        response = self.client.get(columns_url(run))
        self.assertEqual([field.label for field in response.context["form"].column_fields], ["Account Name", "Industry"])

    def test_semicolon_file_detected(self):
        run = self.make_run(self.owner, "name;industry\nGlobex;Energie\n")

        response = self.client.get(columns_url(run))

        self.assertContains(response, "Read as CSV, UTF-8, semicolon-separated.")

    def test_delimiter_chosen(self):
        run = self.make_run(self.owner, "name;notes\nGlobex;a,b\n")

        self.client.post(columns_url(run), {"read_again": "1", "delimiter": ",", "encoding": ""})

        response = self.client.get(columns_url(run))
        self.assertEqual([field.label for field in response.context["form"].column_fields], ["name;notes"])

    def test_wrong_encoding_reported(self):
        run = ImportRun(created_by=self.owner, entity="accounts", file_name="latin.csv", row_count=1)
        run.file.save("latin.csv", ContentFile("name\nSociété Générale\n".encode("cp1252")))

        response = self.client.post(columns_url(run), {"read_again": "1", "encoding": "utf-8", "delimiter": ""})

        self.assertContains(response, "latin.csv is not valid utf-8 (byte 9 cannot be decoded)")
        run.refresh_from_db()
        self.assertNotIn("encoding", run.options)

    def test_cp1252_detected(self):
        run = ImportRun(created_by=self.owner, entity="accounts", file_name="latin.csv", row_count=1)
        run.file.save("latin.csv", ContentFile("name,country\nSociété Générale,France\n".encode("cp1252")))

        response = self.client.get(columns_url(run))

        self.assertContains(response, "Société Générale")
