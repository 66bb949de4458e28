-- A surveillance's outcome and the date it was carried out (and any later event's particulars)
ALTER TABLE `credit_certificate_events` ADD `details` text;
