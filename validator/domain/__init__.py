"""The values of the domain, shared by every document kind: the value notation of targets
and actuals, printed-precision measures, units, the indicator vocabulary, and whether a
target was met."""
