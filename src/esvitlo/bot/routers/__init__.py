"""One router per feature; :func:`esvitlo.bot.get_routers` composes them in order."""
