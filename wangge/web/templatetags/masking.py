from django import template

from wangge.core import masking

register = template.Library()
register.filter("mask_id", masking.mask_identity_number)
register.filter("mask_mobile", masking.mask_mobile)
register.filter("mask_address", masking.mask_address)
register.filter("mask_name", masking.mask_name)
