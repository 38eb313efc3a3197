import pickle

import pytest

from desktop.domain.errors import DomainValidationError, ErrorCollector, ValidationErrors


def test_str_and_attributes():
    e = DomainValidationError("转正日期", "2023-02-30 不是有效日期")
    assert isinstance(e, ValueError)
    assert (e.field, e.message) == ("转正日期", "2023-02-30 不是有效日期")
    assert str(e) == "转正日期：2023-02-30 不是有效日期"


def test_pickle_roundtrip():
    e = pickle.loads(pickle.dumps(DomainValidationError("联系电话", "号码无效")))
    assert str(e) == "联系电话：号码无效"
    errs = pickle.loads(pickle.dumps(ValidationErrors([DomainValidationError("a", "b")])))
    assert errs.fields == ["a"]


def test_validation_errors_collects_all():
    c = ErrorCollector()
    with c.check():
        raise DomainValidationError("入党日期", "晚于今天")
    with c.check():
        pass
    c.add("出生日期", "晚于今天")
    with pytest.raises(ValidationErrors) as e:
        c.raise_if_any()
    assert len(e.value) == 2
    assert e.value.by_field() == {"入党日期": ["晚于今天"], "出生日期": ["晚于今天"]}
    assert str(e.value) == "入党日期：晚于今天\n出生日期：晚于今天"
