"""Symbolic checks: each compares a claim as published with the values theory/ derives, and gives the verdict."""
