from django import forms

from gongjiang.accounts.scope import restrict_form_fields
from gongjiang.common.forms import bootstrapify
from gongjiang.core.validators import normalise_uscc

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "uscc",
            "kind",
            "region",
            "domain",
            "size",
            "is_chain_leader",
            "is_industry_leader",
            "is_specialised",
            "is_state_owned",
            "address",
            "contact_name",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_form_fields(self, user)
        bootstrapify(self)

    def clean_uscc(self) -> str:
        return normalise_uscc(self.cleaned_data["uscc"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["region_id"] = data.pop("region").pk
        domain = data.pop("domain")
        data["domain_id"] = domain.pk if domain else None
        return data
