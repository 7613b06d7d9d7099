package org.openitb.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.openitb.accuracy.AccuracySettings;
import org.openitb.alarm.AlarmSettings;
import org.openitb.delivery.DeliverySettings;
import org.openitb.delivery.PumpMechanics;
import org.openitb.drivers.annunciator.AnnunciatorConfig;
import org.openitb.drivers.sensor.SensorBankConfig;
import org.openitb.drivers.stepper.StepperConfig;
import org.openitb.reservoir.ReservoirSettings;
import org.openitb.telemetry.MqttSettings;
import org.openitb.therapy.DrugLibrary;
import org.openitb.therapy.PatientBolusPolicy;

/**
 * The whole, validated configuration of one bench pump. Only {@link ConfigLoader} builds it, so
 * holding one means every value passed its bounds and every cross-check.
 *
 * @param pumpId        the pump's name in MQTT topics and the journal
 * @param stateDir      where SQLite and other state live
 * @param controlSocket the Unix socket the client verbs talk to
 * @param zone          time zone of time-of-day schedules
 * @param accuracy      the bench's balance for the gravimetric test, if it has one (balance.port)
 */
public record PumpConfig(String pumpId, Path stateDir, Path controlSocket, ZoneId zone, MqttSettings mqtt,
        StepperConfig stepper, SensorBankConfig sensors, AnnunciatorConfig annunciator, PumpMechanics mechanics,
        DeliverySettings delivery, ReservoirSettings reservoir, DrugLibrary library, PatientBolusPolicy patientBolus,
        AlarmSettings alarms, Optional<AccuracySettings> accuracy) {

    public PumpConfig {
        Objects.requireNonNull(pumpId, "pumpId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(stepper, "stepper");
        Objects.requireNonNull(sensors, "sensors");
        Objects.requireNonNull(annunciator, "annunciator");
        Objects.requireNonNull(mechanics, "mechanics");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(reservoir, "reservoir");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(patientBolus, "patientBolus");
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(accuracy, "accuracy");
    }
}
