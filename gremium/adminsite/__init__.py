"""Django's admin on gremium's terms: logging in goes through gremium's own login
(throttled, two-factor), every write is audited, and approved records stay locked.

The admin is a surface like the office: it sits above the domain and may import it.
"""
