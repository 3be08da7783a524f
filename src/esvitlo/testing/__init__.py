"""Test helpers shipped with the code: fakes of the services eSvitlo talks to.

The product never imports this package; tests and the CLI ``demo`` command do.
"""
