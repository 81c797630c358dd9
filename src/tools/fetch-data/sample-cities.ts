/**
 * SAMPLE DATA, not live and not authoritative: 25 world cities with rounded, approximate
 * city populations and made-up weather, so fetch_data works with no setup and no network.
 */
export type SampleCity = {
  id: string;
  name: string;
  country: string;
  population: number;
  timezone: string;
  sample_weather: { condition: string; temperature_c: number };
};

const city = (
  id: string, name: string, country: string, population: number, timezone: string,
  condition: string, temperature_c: number,
): SampleCity => ({ id, name, country, population, timezone, sample_weather: { condition, temperature_c } });

export const sampleCities: readonly SampleCity[] = [
  city('tokyo', 'Tokyo', 'Japan', 14_000_000, 'Asia/Tokyo', 'partly cloudy', 18),
  city('osaka', 'Osaka', 'Japan', 2_750_000, 'Asia/Tokyo', 'rainy', 17),
  city('delhi', 'Delhi', 'India', 16_800_000, 'Asia/Kolkata', 'hazy', 31),
  city('mumbai', 'Mumbai', 'India', 12_400_000, 'Asia/Kolkata', 'humid', 30),
  city('shanghai', 'Shanghai', 'China', 24_900_000, 'Asia/Shanghai', 'cloudy', 21),
  city('beijing', 'Beijing', 'China', 21_900_000, 'Asia/Shanghai', 'clear', 16),
  city('seoul', 'Seoul', 'South Korea', 9_400_000, 'Asia/Seoul', 'clear', 14),
  city('singapore', 'Singapore', 'Singapore', 5_900_000, 'Asia/Singapore', 'thunderstorms', 29),
  city('sydney', 'Sydney', 'Australia', 5_400_000, 'Australia/Sydney', 'sunny', 22),
  city('istanbul', 'Istanbul', 'Turkey', 15_700_000, 'Europe/Istanbul', 'windy', 15),
  city('moscow', 'Moscow', 'Russia', 13_100_000, 'Europe/Moscow', 'snowy', -4),
  city('london', 'London', 'United Kingdom', 8_900_000, 'Europe/London', 'drizzle', 11),
  city('paris', 'Paris', 'France', 2_100_000, 'Europe/Paris', 'sunny', 19),
  city('berlin', 'Berlin', 'Germany', 3_800_000, 'Europe/Berlin', 'overcast', 12),
  city('madrid', 'Madrid', 'Spain', 3_300_000, 'Europe/Madrid', 'sunny', 24),
  city('rome', 'Rome', 'Italy', 2_750_000, 'Europe/Rome', 'clear', 21),
  city('cairo', 'Cairo', 'Egypt', 10_000_000, 'Africa/Cairo', 'sunny', 33),
  city('lagos', 'Lagos', 'Nigeria', 15_400_000, 'Africa/Lagos', 'humid', 29),
  city('nairobi', 'Nairobi', 'Kenya', 4_400_000, 'Africa/Nairobi', 'partly cloudy', 23),
  city('new-york', 'New York', 'United States', 8_300_000, 'America/New_York', 'cloudy', 13),
  city('los-angeles', 'Los Angeles', 'United States', 3_800_000, 'America/Los_Angeles', 'sunny', 25),
  city('toronto', 'Toronto', 'Canada', 2_800_000, 'America/Toronto', 'rainy', 8),
  city('mexico-city', 'Mexico City', 'Mexico', 9_200_000, 'America/Mexico_City', 'clear', 20),
  city('sao-paulo', 'São Paulo', 'Brazil', 11_400_000, 'America/Sao_Paulo', 'rainy', 22),
  city('buenos-aires', 'Buenos Aires', 'Argentina', 3_100_000, 'America/Argentina/Buenos_Aires', 'windy', 17),
];
