"""``python -m api`` runs the ``liangxin`` command line."""

from api.cli import main

main()
