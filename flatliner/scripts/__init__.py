"""Running a user's unchanged training script under flatliner's eye.

`runner` executes the script as `python` would, `fit_hook` attaches a monitoring
callback to every `fit` call, `locations` records where layers, compile calls and
fit calls were written, `recorder` is the callback, and `crash` explains the
exceptions flatliner recognises.
"""
