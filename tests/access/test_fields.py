import pytest

from nmt.cases.models import Person


def test_sealed_fields_compare_only_with_empty(stockholm_case):
    assert Person.objects.filter(aliases="").count() == 1
    assert Person.objects.exclude(given_name="").count() == 1
    with pytest.raises(ValueError, match="empty string"):
        Person.objects.filter(given_name="Ioana Maria").count()
    with pytest.raises(Exception, match="Unsupported lookup"):
        Person.objects.filter(given_name__icontains="Ioana").count()
