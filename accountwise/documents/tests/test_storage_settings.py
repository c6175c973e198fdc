import os
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, StorageHandler
from django.test import SimpleTestCase
from storages.backends.s3 import S3Storage

from accountwise import settings as accountwise_settings
from accountwise.documents.models import document_storage

# Only loopback addresses, and nothing here opens a connection: S3Storage connects on first use.
S3_ENVIRONMENT = {
    "DOCUMENT_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "accountwise-documents",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_REGION_NAME": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "test-key-id",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
}


def _config(environment: dict) -> dict:
    with mock.patch.dict(os.environ, environment):
        return accountwise_settings.document_storage_config()


class DocumentStorageConfigTests(SimpleTestCase):
    def test_local_by_default(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("DOCUMENT_STORAGE", None)
            config = accountwise_settings.document_storage_config()

        self.assertEqual(config, {"BACKEND": "django.core.files.storage.FileSystemStorage"})

    def test_default_storage_is_file_system(self):
        self.assertIsInstance(document_storage(), FileSystemStorage)

    def test_s3_options_from_environment(self):
        config = _config(S3_ENVIRONMENT)

        self.assertEqual(config["BACKEND"], "storages.backends.s3.S3Storage")
        self.assertEqual(
            config["OPTIONS"],
            {
                "bucket_name": "accountwise-documents",
                "endpoint_url": "http://127.0.0.1:9000",
                "region_name": "eu-central-1",
                "access_key": "test-key-id",
                "secret_key": "test-secret",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        )

    def test_s3_storage_built_from_config(self):
        storage = StorageHandler({"documents": _config(S3_ENVIRONMENT)})["documents"]

        self.assertIsInstance(storage, S3Storage)
        self.assertEqual(storage.bucket_name, "accountwise-documents")
        self.assertEqual(storage.endpoint_url, "http://127.0.0.1:9000")
        self.assertEqual(storage.region_name, "eu-central-1")
        self.assertIsNone(storage.default_acl)
        self.assertFalse(storage.file_overwrite)
        self.assertTrue(storage.querystring_auth)

    def test_s3_credentials_optional(self):
        environment = {"DOCUMENT_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "documents"}
        with mock.patch.dict(os.environ):
            for name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                os.environ.pop(name, None)
            config = _config(environment)

        self.assertNotIn("access_key", config["OPTIONS"])
        self.assertNotIn("endpoint_url", config["OPTIONS"])

    def test_s3_needs_bucket(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "DOCUMENT_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"):
            _config({"DOCUMENT_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": ""})

    def test_s3_needs_django_storages(self):
        with mock.patch("importlib.util.find_spec", return_value=None):
            with self.assertRaisesMessage(ImproperlyConfigured, "pip install -r requirements/s3.txt"):
                _config(S3_ENVIRONMENT)

    def test_unknown_storage_rejected(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "DOCUMENT_STORAGE='ftp' is not a storage; use local or s3."):
            _config({"DOCUMENT_STORAGE": "ftp"})
